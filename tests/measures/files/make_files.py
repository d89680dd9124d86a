"""Writes the LibreOffice test workbooks in this folder from the CSV sources below.

    python tests/measures/files/make_files.py

Needs LibreOffice (Debian package libreoffice-calc-nogui). The .xlsx and .ods files it writes are committed,
so the tests run without LibreOffice; run this again only to change them.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
UK = "CSV:44,34,76,1,,2057"  # comma, double quotes, UTF-8, from line 1, English (UK) dates

SOURCES = {
    # A council's scorecard: title rows, a blank row, a financial year above month names, a Ref column,
    # no-figure markers, a footnote mark, a Total row with figures and a Notes row.
    "scorecard": """Children's Services Performance Scorecard,,,,,
Produced,01/09/2025,,,,
,,,,,
Ref,Measure,2025/26,,,
,,Apr,May,Jun,Jul
1.1,% CIN,82%,n/a,79%,80%
1.2,Sickness - average working days lost,10.8,TBC,9.5,14*
1.3,Number of foster carers approved at panel,4,-,NYA,5
,Total,90,,,
Notes: figures for June are provisional,,,,,
""",
    # A date in a title row above a month column.
    "title-date": """Scorecard produced,,01/09/2025,
Code,Measure,May-25,Jun-25
SICKNESS,Sickness – average working days lost,9,8
""",
    # Month headings LibreOffice keeps as text, and some it turns into dates.
    "month-headings": """Code,Apr'25,Jun 25 (prov),Q2 Aug-25,Jul-25
SICKNESS,9,8,7,6.5
""",
}


def main():
    soffice = shutil.which("soffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is not installed.")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name, text in SOURCES.items():
            (work / f"{name}.csv").write_text(text, encoding="utf-8")
        profile = f"-env:UserInstallation=file://{work}/profile"
        csvs = [str(work / f"{name}.csv") for name in SOURCES]
        subprocess.run([soffice, "--headless", profile, f"--infilter={UK}", "--convert-to", "xlsx", "--outdir",
                        str(HERE), *csvs], check=True, capture_output=True)
        subprocess.run([soffice, "--headless", profile, f"--infilter={UK}", "--convert-to", "ods", "--outdir",
                        str(HERE), str(work / "title-date.csv")], check=True, capture_output=True)
    for name in SOURCES:
        print(HERE / f"{name}.xlsx")
    print(HERE / "title-date.ods")


if __name__ == "__main__":
    main()
