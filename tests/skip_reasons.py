"""Why a test may skip: what was not checked, and the command that lets it run."""
SKLEARN = ("scikit-learn is not installed: gdviz's data was not checked against "
           "make_regression (pip install -e '.[test]')")
FFMPEG = ("imageio-ffmpeg is not installed: MP4 export through its ffmpeg was not checked "
          "(pip install -e '.[test]')")
PANEL = ("Panel is not installed: the web app (gdviz app) was not checked "
         "(pip install -e '.[test]' or pip install 'gdviz[app]')")
DASK = ("Dask or distributed is not installed: data beyond memory (from_frame on a Dask frame, "
        "--engine dask) was not checked (pip install -e '.[test]' or pip install 'gdviz[big]')")
TORCH = ("PyTorch is not installed: the networks were not checked against torch autograd "
         "(pip install torch==2.13.0, or pip install -e '.[test]')")
