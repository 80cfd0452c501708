"""The robot's own exceptions."""


class RobotError(Exception):
    """Base of the robot's errors."""


class ConfigError(RobotError):
    """config.yaml is missing or wrong; ``problems`` lists every problem as "key.path: words"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
