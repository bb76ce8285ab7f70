tempo: 0.5
out: tri "<c3 e3 g3 b3>" * 0.3
