"""What a reader sees, without Streamlit: the view state in the URL, charts, maps and findings, built
from the read side's frames in one language."""
