"""`awsarch stackset deploy` and `delete` on the emulator: a service-managed StackSet of the
synthesized template, its instances in an organization's accounts, each one's status."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import boto3
from click.testing import CliRunner

from awsarch.blueprint.seed import seed_text
from awsarch.cli.main import cli


def _organization(emulator: Any) -> tuple[str, list[str]]:
    org = boto3.client("organizations", region_name="us-east-1", endpoint_url=emulator.endpoint_url)
    with contextlib.suppress(org.exceptions.AlreadyInOrganizationException):
        org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
    accounts = []
    for n in (1, 2):
        made = org.create_account(Email=f"a{n}@example.com", AccountName=f"a{n}")
        account = made["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
        accounts.append(account)
    return ou, accounts


def test_deploy_to_two_accounts_reports_each_instance_and_delete_removes_them(
    emulator: Any, tmp_path: Path
) -> None:
    """deploy creates the StackSet and an instance per account; delete asks first (refused on a
    non-interactive input without --yes, nothing deleted), lifts the databases' deletion
    protection through the template's parameter (else each stack's deletion fails), then
    removes both."""
    ou, accounts = _organization(emulator)
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(seed_text().replace("stack: demo ", "stack: fleet "))
    where = ["--ou", ou, "--accounts", ",".join(accounts), "--regions", "ap-northeast-2"]
    url = ["--endpoint-url", emulator.endpoint_url]
    result = CliRunner().invoke(
        cli, ["stackset", "deploy", str(blueprint), *where, "--max-concurrent", "2", *url]
    )
    assert result.exit_code == 0, result.output
    assert "StackSet fleet created (SERVICE_MANAGED, auto-deployment False)" in result.output
    for account in accounts:
        assert f"  {account} ap-northeast-2 " in result.output
    delete = ["stackset", "delete", str(blueprint), *where, *url]
    refused = CliRunner().invoke(cli, delete)
    assert refused.exit_code == 2, refused.output
    assert "this deletes the databases of stack fleet" in refused.output
    assert "pass --yes to go ahead" in refused.output
    for account in accounts:
        assert f"  - {account} ap-northeast-2" in refused.output
    org_instances = boto3.client(
        "cloudformation", region_name="ap-northeast-2", endpoint_url=emulator.endpoint_url
    ).list_stack_instances(StackSetName="fleet")["Summaries"]
    assert len(org_instances) == len(accounts)  # nothing was deleted
    gone = CliRunner().invoke(cli, [*delete, "--yes"])
    assert gone.exit_code == 0, gone.output
    assert "deletion protection off in every stack instance (DeletionProtection=false)" in (
        gone.output
    )
    assert "StackSet fleet deleted" in gone.output


def test_several_regions_per_account_are_refused_for_named_iam(
    emulator: Any, tmp_path: Path
) -> None:
    """Fixed IAM names clash when one account gets two regions: refused in one line."""
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(seed_text())
    result = CliRunner().invoke(
        cli,
        [
            "stackset",
            "deploy",
            str(blueprint),
            "--ou",
            "ou-abcd-12345678",
            "--accounts",
            "111111111111,222222222222",
            "--regions",
            "us-east-1,eu-west-1",
            "--endpoint-url",
            emulator.endpoint_url,
        ],
    )
    assert result.exit_code == 2
    assert "IAM names are global to an account" in result.output


def test_deployment_targets_choose_accounts_as_the_filter_type_says() -> None:
    """The emulator reads DeleteStackInstances' targets as AWS documents AccountFilterType."""
    from types import SimpleNamespace as N

    from awsarch.adapters.emulator.behaviours.cfn_stack_set_targets import target_accounts

    org = N(
        ou=[N(id="ou-a", parent_id="r-1"), N(id="ou-b", parent_id="ou-a")],
        accounts=[
            N(id="1", parent_id="ou-a"),
            N(id="2", parent_id="ou-b"),
            N(id="3", parent_id="r-1"),
        ],
    )
    assert target_accounts(org, ["ou-a"], [], "NONE") == ["1", "2"]
    assert target_accounts(org, ["ou-a"], ["2", "3"], "INTERSECTION") == ["2"]
    assert target_accounts(org, ["ou-a"], ["2"], "DIFFERENCE") == ["1"]
    assert target_accounts(org, ["ou-a"], ["3"], "UNION") == ["1", "2", "3"]
