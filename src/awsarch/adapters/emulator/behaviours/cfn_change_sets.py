"""Change sets as AWS documents them: an empty one fails with its reason, an executed one
gives the stack its outputs, and a database keeps its managed password and names its secret.

- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets-create.html:
  a change set with no changes is created with status FAILED and the reason "The submitted
  information didn't contain changes. Submit different information to create a change set."
  moto 5.2.5 does so only when the request carries no parameters; with parameters it refuses
  CreateChangeSet itself ("No updates are to be performed.").
- https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html:
  a stack's Outputs are there once it is created; moto computes them when the stack is made
  (empty for a stack a change set creates) and never again after ExecuteChangeSet.
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html:
  "CloudFormation automatically creates the following stack-level tags with the prefix aws:":
  aws:cloudformation:logical-id, stack-id and stack-name. moto adds them on CreateStack only,
  not to what an executed change set creates.
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html:
  ManageMasterUserPassword makes RDS keep the password in Secrets Manager and
  `Fn::GetAtt MasterUserSecret.SecretArn` returns its ARN; moto ignores the property and fails
  the attribute (a 500 on DescribeStacks). moto also refuses the attribute up front when it
  builds a stack whose Outputs name it (`DBInstance.has_cfn_attr`): the stacks a StackSet creates
  in other accounts fail so ("does not support attribute type MasterUserSecret.SecretArn").

moto keeps its backends per account: the database's secret lives in the account that made the
stack (a StackSet's instance account), and ExecuteChangeSet finds the stack in the caller's.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import caller_account, cloudformation_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, enabled

NAME = "cfn_change_sets"


class CfnChangeSets(Behaviour):
    name = NAME
    services = frozenset({"cloudformation"})

    def install(self) -> None:
        _patch_different_update()
        _patch_database()

    def after(self, call: Call, answer: Answer) -> Answer:
        if call.action == "ExecuteChangeSet":
            backend = cloudformation_backend(call.region, caller_account(call))
            for stack in backend.stacks.values():
                if call.params.get("StackName") in (stack.name, stack.stack_id):
                    stack._parse_template()
                    stack.output_map = stack._create_output_map()
                    _stack_tags(stack, caller_account(call), call.region)
        return answer


def _stack_tags(stack: Any, account: str, region: str) -> None:
    """CloudFormation's own tags on the EC2 resources the change set made (moto adds them only
    on CreateStack)."""
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.core import TaggedEC2Resource

    backend = ec2_backends[account][region]
    for logical, resource in stack.resource_map._parsed_resources.items():
        taggable = isinstance(resource, TaggedEC2Resource)  # `resource` stays Any for moto
        if taggable:
            tags = {
                "aws:cloudformation:stack-name": stack.name,
                "aws:cloudformation:stack-id": stack.stack_id,
                "aws:cloudformation:logical-id": logical,
            }
            backend.create_tags([resource.physical_resource_id], tags)


def _patch_different_update() -> None:
    from moto.cloudformation.responses import CloudFormationResponse

    original = CloudFormationResponse._validate_different_update
    if getattr(original, "_awsarch", False):
        return

    def validate(response: Any, *args: Any, **kwargs: Any) -> None:
        if enabled(NAME) and response._get_param("Action") == "CreateChangeSet":
            return  # the backend marks it FAILED with AWS's reason
        original(response, *args, **kwargs)

    validate._awsarch = True  # type: ignore[attr-defined]
    CloudFormationResponse._validate_different_update = validate  # type: ignore[method-assign,assignment]


def _patch_database() -> None:
    from moto.rds.models import DBInstance, MasterUserSecret

    create = DBInstance.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]
    if getattr(create, "_awsarch", False):
        return
    get_att = DBInstance.get_cfn_attribute
    has_att = DBInstance.has_cfn_attr.__func__  # type: ignore[attr-defined]

    def created(cls: Any, name: str, json: Any, account_id: str, region: str, **kw: Any) -> Any:
        database = create(cls, name, json, account_id, region, **kw)
        props = json.get("Properties", {})
        if enabled(NAME) and props.get("ManageMasterUserPassword") in (True, "true"):
            kms = (props.get("MasterUserSecret") or {}).get("KmsKeyId")
            database.manage_master_user_password = True
            database.master_user_secret = MasterUserSecret(database, kms)
        return database

    def attribute(database: Any, attribute_name: str) -> Any:
        secret = getattr(database, "master_user_secret", None)
        if enabled(NAME) and attribute_name == "MasterUserSecret.SecretArn" and secret:
            return secret.secret.arn
        return get_att(database, attribute_name)

    def has(cls: Any, attribute_name: str) -> bool:
        if enabled(NAME) and attribute_name == "MasterUserSecret.SecretArn":
            return True
        return bool(has_att(cls, attribute_name))

    created._awsarch = True  # type: ignore[attr-defined]
    DBInstance.create_from_cloudformation_json = classmethod(created)  # type: ignore[assignment,method-assign,arg-type]
    DBInstance.get_cfn_attribute = attribute  # type: ignore[method-assign,assignment]
    DBInstance.has_cfn_attr = classmethod(has)  # type: ignore[method-assign,assignment]
