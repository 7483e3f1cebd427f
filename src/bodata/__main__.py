from bodata.cli import main

main()
