data {
  real /* ERROR "identifier 'model_name_model' clashes with the model name" */model_name_model;
}
