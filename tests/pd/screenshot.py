#!/usr/bin/env python3
"""screenshot.py PATCH.pd OUT.png [SUBPATCH]  -- Pd 0.53 with its GUI under Xvfb: open the patch (and
the subpatch [pd SUBPATCH] in a window of its own), wait for it to be drawn, and save the screen.
Not a test: the pictures are for a person to look at (tests/pd/layout.py checks the geometry).
Needs xvfb, x11-apps (xwd), imagemagick (convert) and puredata-gui."""
import os
import subprocess
import sys
import time


def main(patch, out, sub=None):
    display = ":%d" % (90 + os.getpid() % 9)
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x1000x24"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        time.sleep(1)
        cmd = ["pd", "-noaudio", "-noprefs", "-path", root, "-open", os.path.abspath(patch)]
        if sub:
            cmd += ["-send", "pd-%s vis 1" % sub]
        pd = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(5)
        xwd = subprocess.run(["xwd", "-root", "-silent"], env=env, capture_output=True)
        subprocess.run(["convert", "xwd:-", out], input=xwd.stdout)
        pd.kill()
        pd.wait()
    finally:
        xvfb.kill()
        xvfb.wait()


if __name__ == "__main__":
    main(*sys.argv[1:4])
