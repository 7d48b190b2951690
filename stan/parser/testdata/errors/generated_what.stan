generated /* ERROR "expected \"quantities\"" */stuff { }
