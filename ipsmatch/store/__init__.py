"""Storage: SQLAlchemy schema, migrations and the repository (SQLite default, PostgreSQL).

    from ipsmatch.store import Store
    store = Store.open("sqlite:///ipsmatch.db", create=True).init()
"""

from ipsmatch.store.people import CitizenRecord
from ipsmatch.store.repository import STALE_AFTER, Store
from ipsmatch.store.serialize import employer_to_dict, vacancy_to_dict

__all__ = ["STALE_AFTER", "CitizenRecord", "Store", "employer_to_dict", "vacancy_to_dict"]
