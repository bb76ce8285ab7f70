my-samples/
  kick/        →  s "kick"
    a.wav
    b.wav
  vox/         →  s "vox"
    hey.flac
