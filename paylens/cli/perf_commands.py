"""`paylens synth` and `paylens bench` (performance at scale)."""

from paylens.cli.main import cli  # noqa: F401  (commands register on the shared group)
