/* ERROR "expected a program block" */datum { int N; }
