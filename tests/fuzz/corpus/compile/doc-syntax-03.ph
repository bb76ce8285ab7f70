expected an expression after '#', found ')'
expected an expression after '~a $', found the end of the statement
expected an operator or the end of the statement, found '4'
expected ')' to close the '(' at 3:7, found ':'
unbalanced ')'
unbalanced '(': no ')' before the end of the statement
unterminated string (started here)
'bpm:' needs a number, found 'fast'
'tempo:' needs a positive number, found '-1'
a time signature looks like "4/4", found "four"
unknown character '@'
malformed number '2x'
tracks are d1 to d16, found 'd17'
a statement must start with ~name:, out:, d1 $, bpm:, tempo:, cps:, hush or panic
expression nested too deeply (more than 200 levels)
