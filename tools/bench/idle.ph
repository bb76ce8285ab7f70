-- an idle engine: a program with nothing to play
tempo: 0.5
~quiet: 0
