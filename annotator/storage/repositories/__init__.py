"""Repositories take a Session and return domain objects; they never open or commit a session."""

from annotator.storage.repositories.claims import ClaimRepository
from annotator.storage.repositories.codebook import CodebookRepository
from annotator.storage.repositories.coder_documents import CoderDocumentRepository
from annotator.storage.repositories.coders import CoderRepository
from annotator.storage.repositories.documents import DocumentRepository
from annotator.storage.repositories.project_info import ProjectInfoRepository
from annotator.storage.repositories.runs import ModelRunRepository
from annotator.storage.repositories.spans import SpanRepository

__all__ = [
    "ClaimRepository",
    "CodebookRepository",
    "CoderDocumentRepository",
    "CoderRepository",
    "DocumentRepository",
    "ModelRunRepository",
    "ProjectInfoRepository",
    "SpanRepository",
]
