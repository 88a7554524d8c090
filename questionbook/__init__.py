"""QuestionBook: a desktop journal for good questions and ambitious plans."""

__version__ = "0.1.0"
APP_ID = "io.github.questionbook.QuestionBook"
APP_NAME = "QuestionBook"
