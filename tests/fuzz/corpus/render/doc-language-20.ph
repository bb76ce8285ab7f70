~a: sine 220 * 0.3
~b: sine 330 * 0.3
