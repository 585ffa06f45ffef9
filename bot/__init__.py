"""briefbot: grounded, cited briefings on one story, in Slack and on the command line."""

__version__ = "0.1.0"
