"""Unit results written and read: one JSON object per unit under an S3 prefix or a directory.

`s3://bucket/prefix/` → `prefix/<account>/<region>.json` (S3 PutObject, ListObjectsV2,
GetObject through the one seam); a local directory → the same layout on disk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from awsarch.adapters.aws.session import AwsSession
from awsarch.errors import InputError, ToolError


def is_s3(where: str) -> bool:
    return where.startswith("s3://")


def split_s3(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` → ("bucket", "some/prefix/")."""
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if not bucket:
        raise InputError(f"{url}: name a bucket, e.g. s3://my-bucket/audits/2026-01-01/")
    return bucket, (prefix.rstrip("/") + "/") if prefix.strip("/") else ""


def encode(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()


def write(session: AwsSession | None, where: str, key: str, document: dict[str, Any]) -> str:
    """Store one unit's document; returns where it went. A write that fails (S3 AccessDenied on
    PutObject, NoSuchBucket, a directory not writable) raises one-line AwsError/ToolError."""
    if is_s3(where):
        assert session is not None
        bucket, prefix = split_s3(where)
        name = f"{prefix}{key}.json"
        session.call(
            "s3",
            "put_object",
            Bucket=bucket,
            Key=name,
            Body=encode(document),
            ContentType="application/json",
        )
        return f"s3://{bucket}/{name}"
    path = Path(where) / f"{key}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(document))
    except OSError as exc:
        raise ToolError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return str(path)


def read_all(session: AwsSession | None, sources: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """(source, decoded JSON) of every unit document in files, directories and S3 prefixes."""
    for source in sources:
        if is_s3(source):
            assert session is not None
            yield from _read_s3(session, source)
        else:
            yield from _read_local(Path(source))


def _read_s3(session: AwsSession, url: str) -> Iterator[tuple[str, Any]]:
    bucket, prefix = split_s3(url)
    for page in session.pages("s3", "list_objects_v2", Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            key = str(item["Key"])
            if key.endswith(".json"):
                body = session.call("s3", "get_object", Bucket=bucket, Key=key)["Body"].read()
                yield f"s3://{bucket}/{key}", _decoded(body, f"s3://{bucket}/{key}")


def _read_local(path: Path) -> Iterator[tuple[str, Any]]:
    if path.is_dir():
        files = sorted(path.rglob("*.json"))
    elif path.exists():
        files = [path]
    else:
        raise InputError(
            f"{path}: no such file or directory — name unit results or an s3:// prefix"
        )
    for file in files:
        yield str(file), _decoded(file.read_bytes(), str(file))


def _decoded(body: bytes, source: str) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise InputError(f"{source}: not JSON ({exc})") from exc
