"""CloudFormation in and out: templates read into the model, and the model synthesized as one."""
