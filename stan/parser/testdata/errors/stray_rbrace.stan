model {
}
/* ERROR "expected a program block" */}
