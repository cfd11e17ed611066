"""What runs in the network: EC2 instances and RDS databases."""

from __future__ import annotations

from awsarch.record import record


@record
class NetworkInterface:
    """An instance's network interface beyond the primary one: its own subnet, groups and
    addresses, so its own placement in every proof."""

    id: str
    subnet_id: str
    security_group_ids: tuple[str, ...]
    device_index: int = 1
    private_ip: str = ""
    has_public_ip: bool = False
    ipv6_addresses: tuple[str, ...] = ()


@record
class Instance:
    """An EC2 instance: its placement (subnet, groups, addresses) and its settings."""

    id: str
    name: str
    group: str
    """The blueprint server group it belongs to (`web`); "" when unknown."""
    subnet_id: str
    security_group_ids: tuple[str, ...]
    instance_type: str = ""
    image: str = ""
    has_public_ip: bool = False
    private_ip: str = ""
    instance_profile: str = ""
    """Name of the instance profile; "" when the instance has none."""
    imdsv2_required: bool = False
    root_volume_encrypted: bool = False
    user_data: str = ""
    platform: str = ""
    """`linux`, `windows`, or "" when not known: it decides the client's ephemeral ports."""
    ipv6_addresses: tuple[str, ...] = ()
    """The primary interface's IPv6 addresses (public by nature: no NAT, no Elastic IP)."""
    secondary_interfaces: tuple[NetworkInterface, ...] = ()
    """Interfaces beyond the primary one (whose subnet and groups are the fields above)."""
    scaling_group: str = ""
    """The Auto Scaling group that launched it ("" for an instance launched by itself): such
    an instance is the group's to create and replace, never the engine's."""

    def in_group(self, group_id: str) -> bool:
        """Some network interface of the instance carries the group: a rule naming the group
        matches the instance through that interface."""
        return group_id in self.security_group_ids or any(
            group_id in nic.security_group_ids for nic in self.secondary_interfaces
        )


@record
class DbSubnetGroup:
    """The subnets RDS may place a database's instances in."""

    id: str
    name: str
    subnet_ids: tuple[str, ...]


@record
class Database:
    """An RDS database instance: where it sits, who reaches it, how it is kept."""

    id: str
    name: str
    engine: str
    engine_version: str
    port: int
    instance_class: str
    storage_gb: int
    subnet_group_id: str
    security_group_ids: tuple[str, ...]
    multi_az: bool = True
    publicly_accessible: bool = False
    storage_encrypted: bool = True
    deletion_protection: bool = True
    backup_retention_days: int = 7
    manage_master_password: bool = True
    """The master password lives in Secrets Manager, managed by RDS (never in a template)."""
    master_secret_arn: str = ""
    """The ARN of that secret once RDS has created it ("" before deploy)."""


ENGINE_PORTS = {"mysql": 3306, "mariadb": 3306, "postgres": 5432}
