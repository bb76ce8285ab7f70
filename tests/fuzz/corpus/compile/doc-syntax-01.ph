expr     = level1 ;
level1   = dollar { hashop dollar } ;                  hashop = "#" | "|+" | "+|" | "|+|" | ...
dollar   = shift { "$" shift } ;
shift    = add { ("<~" | "~>") add } ;
add      = mul { ("+" | "-") mul } ;
mul      = unary { ("*" | "/" | "%") unary } ;
unary    = "-" unary | compose ;                       (a "-" that starts a negative literal is not unary)
compose  = app { "." app } ;
app      = name { arg } | primary ;
arg      = number | negative-literal | string | bus | name | "(" paren ")" ;
primary  = number | negative-literal | string | bus | "(" paren ")" ;
paren    = sectionop level(op)+1 { sectionop level(op)+1 }     (left section, see below)
         | expr sectionop                                       (right section)
         | expr ;
