package web

// Russian is the Russian dictionary, for tests.
var Russian = russian

// Actions names the audit trail's actions, for tests.
var Actions = actions
