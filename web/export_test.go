package web

// Russian is the Russian dictionary, for tests.
var Russian = russian
