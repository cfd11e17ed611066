"""Tests of operators, the deployer policy and the account hygiene audit."""
