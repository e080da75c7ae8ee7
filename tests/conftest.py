import os
import sys
from pathlib import Path

# Tests draw off-screen; the window test starts its own display and process.
os.environ["MPLBACKEND"] = "Agg"
sys.path.insert(0, str(Path(__file__).parent))
