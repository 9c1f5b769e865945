"""A small gazetteer shared by the ingest tests: the names the Khazali papers turn on."""

import pandas as pd

ROWS = [
    ("P01", "Qais al-Khazali", "person", ["Qayis al-Khazali"]),
    ("P02", "Laith al-Khazali", "person", []),
    ("P03", "Muqtada al-Sadr", "person", []),
    ("P04", "Mohammad Sadiq al-Sadr", "person", []),
    ("L01", "Sadr City", "place", []),
    ("P06", "Abu Mustafa al-Sheibani", "person", []),
    ("P07", "Ahmad al-Shaibani", "person", []),
    ("O01", "Lebanese Hezbollah", "organization", ["Hizballah", "Hizbullah", "Hezbollah"]),
    ("O02", "Kata'ib Hezbollah", "organization", ["Hezbollah Brigades", "KH"]),
    ("P05", "Ali Musa Daqduq", "person", []),
    ("P10", "Abu Mahdi al-Muhandis", "person", []),
    ("P12", "Akram al-Kaabi", "person", []),
    ("O03", "IRGC Qods Force", "organization", ["Quds Force"]),
    ("O04", "Asa'ib Ahl al-Haq", "organization", ["AAH", "Asaib Ahl al-Haqq"]),
    ("O05", "Jaysh al-Mahdi", "organization", ["Jaish al-Mahdi", "Mahdi Army", "JAM"]),
    ("L02", "Basra", "place", ["Basrah"]),
    ("L03", "Tehran", "place", ["Teheran"]),
    ("P08", "Hajj Yusif", "person", ["Hajji Yusuf"]),
]


def entities() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=["entity_id", "name", "type", "aliases"])
