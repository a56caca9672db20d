"""Sites: the rooms or buildings that hold racks, power and uplinks."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Site(Base):
    """A server room; a proposal never mixes the rack, uplink and prefixes of two sites."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Site {self.slug}>"
