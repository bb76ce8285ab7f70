-- no tempo: the object's -bpm flag sets it
~d1 $ s "bd*4"
