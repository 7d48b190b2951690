model {
}
/* ERROR "comment not terminated" *//* never ends
