#!/usr/bin/env python3
"""deken.py FOLDER VERSION OUTDIR -- pack a Pd library folder as a deken package, the way `deken package`
does (deken's dekformat 1), for machines where Debian's deken cannot run (it installs its own Python
dependencies from the network the first time).

  OUTDIR/NAME[vVERSION](ARCH).dek         a ZIP of FOLDER, its files under NAME/
  OUTDIR/NAME[vVERSION](ARCH).dek.txt     the objects: "name<TAB>description" for each *-help.pd, the
                                          description from the help's (or meta's) DESCRIPTION
  OUTDIR/NAME[vVERSION](ARCH).dek.sha256  the SHA-256 of the .dek

ARCH is deken's: (Linux-amd64-32) for a Linux x86-64 external for Pd with 32-bit floats, from the
machine this runs on; NAME is the folder's name. Prints the .dek's path."""
import hashlib
import os
import platform
import re
import sys
import zipfile


def arch():
    cpu = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    return "(%s-%s-32)" % (platform.system(), cpu)


def description(folder, help_name):
    for f in (help_name, help_name.replace("-help.pd", "-meta.pd")):
        path = os.path.join(folder, f)
        if os.path.isfile(path):
            m = re.search(r"DESCRIPTION (.*?)(?:, f \d+)?;", open(path).read())
            if m:
                return m.group(1).replace(" \\,", ",")
    return "DEKEN GENERATED"


def main(folder, version, outdir):
    folder = os.path.abspath(folder)
    name = os.path.basename(folder)
    base = os.path.join(outdir, "%s[v%s]%s.dek" % (name, version, arch()))
    with zipfile.ZipFile(base, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for f in sorted(files):
                path = os.path.join(root, f)
                z.write(path, os.path.relpath(path, os.path.dirname(folder)))
    objects = ["%s\t%s\n" % (f[:-len("-help.pd")], description(folder, f))
               for f in sorted(os.listdir(folder)) if f.endswith("-help.pd")]
    open(base + ".txt", "w").write("".join(objects))
    open(base + ".sha256", "w").write(hashlib.sha256(open(base, "rb").read()).hexdigest())
    print(base)


if __name__ == "__main__":
    main(*sys.argv[1:4])
