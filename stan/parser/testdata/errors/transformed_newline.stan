transformed
/* ERROR "the two words of a block name must be on one line with only spaces between them" */data { }
