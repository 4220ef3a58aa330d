"""A versioned local model registry: one folder per version, never overwritten.

    models/
      v0001/
        model.joblib      the fitted Pipeline
        metadata.json     version, time, seed, library versions, data fingerprint,
                          schema, metrics and the model file's SHA-256
        metrics.json      the evaluation, for people and for diffs between versions
        evaluation.png    the ROC chart
      v0002/ ...

A version is written into a hidden temporary folder and renamed into place, so
a reader never sees half a version. Versions are immutable: a new model is a new
number, and the service's answers name the one they come from.

A joblib (pickle) file runs code when it is loaded. Load only models you trained
yourself: `load` refuses a file whose SHA-256 differs from the one recorded at
registration, so a model swapped or corrupted on disk is never executed.
"""

import hashlib
import json
import platform
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import joblib
import pandas as pd
from sklearn.pipeline import Pipeline

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
VERSION_PATTERN = re.compile(r"^v(\d{4})$")
LATEST = "latest"
RECORDED_LIBRARIES = ("numpy", "pandas", "scikit-learn", "joblib", "pyarrow")

# Writes extra files (metrics, charts) into a version's folder before it is published.
ExtraWriter = Callable[[Path], None]


class RegistryError(Exception):
    """A version that does not exist, or a model file that fails its integrity check."""


@dataclass(frozen=True)
class RegisteredModel:
    """A loaded model and what was recorded about it."""

    version: str
    model: Pipeline
    metadata: dict[str, Any]


def data_fingerprint(frame: pd.DataFrame) -> str:
    """A SHA-256 of the table's columns, dtypes and values: the same data, the same digest."""
    digest = hashlib.sha256()
    digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def environment() -> dict[str, str]:
    """Python's version and those of the libraries that shape the model's numbers."""
    return {
        "python": platform.python_version(),
        **{library: package_version(library) for library in RECORDED_LIBRARIES},
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ModelRegistry:
    """The versions under one root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def versions(self) -> list[str]:
        """Every registered version, oldest first."""
        if not self.root.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.root.iterdir()
            if VERSION_PATTERN.match(entry.name) and (entry / METADATA_FILE).is_file()
        )

    def resolve(self, version: str) -> str:
        """`latest` or an exact version name, checked to exist."""
        versions = self.versions()
        if version == LATEST:
            if not versions:
                msg = f"no model registered in {self.root}"
                raise RegistryError(msg)
            return versions[-1]
        if version not in versions:
            msg = f"no version {version!r} in {self.root} (have: {', '.join(versions) or 'none'})"
            raise RegistryError(msg)
        return version

    def register(
        self, model: Pipeline, metadata: dict[str, Any], write_extras: ExtraWriter | None = None
    ) -> str:
        """Save `model` as the next version with `metadata`; return the version name.

        `write_extras(folder)` may add files (metrics, charts) before the version appears.
        """
        versions = self.versions()
        number = int(versions[-1].removeprefix("v")) + 1 if versions else 1
        name = f"v{number:04d}"
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=self.root))
        try:
            joblib.dump(model, staging / MODEL_FILE)
            if write_extras is not None:
                write_extras(staging)
            record = {
                **metadata,
                "version": name,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "environment": environment(),
                "model_sha256": _sha256(staging / MODEL_FILE),
            }
            (staging / METADATA_FILE).write_text(
                json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )
            # mkdtemp made the folder private (0700); a published version must be readable
            # by the user that serves it, who is often not the one who trained (a container
            # runs as its own user and mounts the registry read-only).
            staging.chmod(0o755)
            # Renaming a folder is atomic: readers see the whole version or none of it.
            staging.rename(self.root / name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return name

    def metadata(self, version: str) -> dict[str, Any]:
        """The recorded metadata of `version` (or of the latest)."""
        folder = self.root / self.resolve(version)
        metadata: dict[str, Any] = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
        return metadata

    def load(self, version: str = LATEST) -> RegisteredModel:
        """Load a version after checking its model file against the recorded SHA-256."""
        name = self.resolve(version)
        metadata = self.metadata(name)
        model_path = self.root / name / MODEL_FILE
        if _sha256(model_path) != metadata.get("model_sha256"):
            msg = f"{model_path} does not match the SHA-256 recorded at registration: not loaded"
            raise RegistryError(msg)
        model = joblib.load(model_path)
        if not isinstance(model, Pipeline):
            msg = f"{model_path} holds a {type(model).__name__}, not a scikit-learn Pipeline"
            raise RegistryError(msg)
        return RegisteredModel(version=name, model=model, metadata=metadata)
