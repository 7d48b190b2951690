transformed /* ERROR "expected \"data\" or \"parameters\"" */model { }
