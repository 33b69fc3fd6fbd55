"""The Streamlit operator dashboard."""
