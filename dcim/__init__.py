"""The inventory: the data center's racks, power, network, names and tenants.

Everything else in dcim-lite reads or changes what this package holds:
`capacity` judges whether a request fits, `colocation` walks a request
through the SOP, and the interfaces show it.
"""
