from ipsmatch.cli import main

main()
