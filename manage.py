#!/usr/bin/env python
from tiepdan.cli import main

if __name__ == "__main__":
    main()
