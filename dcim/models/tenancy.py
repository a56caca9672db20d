"""Tenants: the OPD (regional offices) that own equipment, and the data-center owner."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Tenant(Base):
    """An Organisasi Perangkat Daerah, or the office that runs the data center.

    ``slug`` is the short identifier requests and files use (``bkpsdm``);
    ``name`` is the office's full name as it appears on letters.
    """

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (CheckConstraint("length(slug) > 0", name="slug_not_empty"),)

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"
