generated quantities { real x = 1; }
/* ERROR "the model block must come before the generated quantities block" */model { }
