"""CloudFormation templates: read into the model (template in) and rendered from it (out)."""
