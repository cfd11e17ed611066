"""A stack's instance launched from a launch template takes its image and type from it.

https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-instance.html
(LaunchTemplate): "Any parameters that you specify in the AWS CloudFormation template override the
same parameters in the launch template." moto 5.2.5 reads ImageId from the instance's own
properties only, and ExecuteChangeSet fails with a 500 on a template whose instances name their
image in a launch template (as `awsarch synth` writes them).
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import rewrite_cloudformation_properties
from awsarch.adapters.emulator.layer import Behaviour

NAME = "cfn_launch_templates"


def _with_template_defaults(props: dict[str, Any], account_id: str, region: str) -> dict[str, Any]:
    from moto.ec2.models import ec2_backends

    named = props.get("LaunchTemplate") or {}
    if "ImageId" in props or not named.get("LaunchTemplateId"):
        return props
    template = ec2_backends[account_id][region].get_launch_template(named["LaunchTemplateId"])
    version = template.get_version(str(named.get("Version", "$Default")))
    return {
        **props,
        "ImageId": version.image_id,
        "InstanceType": props.get("InstanceType") or version.instance_type,
    }


class CfnLaunchTemplates(Behaviour):
    name = NAME
    services = frozenset({"cloudformation"})

    def install(self) -> None:
        from moto.ec2.models.instances import Instance

        rewrite_cloudformation_properties(Instance, NAME, _with_template_defaults)
