// Names that merely contain a forbidden word must not trip the check.
int operand(int x) { return x; }
int grand(int x) { return operand(x); }
int brand_new = grand(1);
int runtime(int x) { return x; }
int uptime_nullptr = runtime(2);
