generated quantities { real x = 1; }
/* ERROR "the guide block must come before the generated quantities block" */guide { }
