"""The scenario model: the parameter specification, the model and its parts, sensitivity, goal seeking, the ceiling's verdict.

Pure: numpy and pandas in, numbers out; no database, no Streamlit, no files.
"""
