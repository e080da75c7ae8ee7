"""``python -m gdviz``: the command line. Importing this module runs nothing."""
from .launch import main

if __name__ == "__main__":
    main()
