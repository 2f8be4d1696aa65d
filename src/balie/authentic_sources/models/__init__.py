"""Models of the authentic-source connectors, one module per source (each helper its own file):

- `consultations`: the consultation log (every call to an authentic source) and legal purposes;
- `magda`: what MAGDA answered about a party (provenance), refresh bookkeeping;
- `kbo`: the KBO open data tables and their imports;
- (no table for addresses: the Belgian postcodes are read into memory from `data/postcodes.csv`,
  see `addresses/postcodes.py`).
"""

from .consultations import *  # noqa: F403
from .kbo import *  # noqa: F403
from .magda import *  # noqa: F403
