@_exported import GUDNumerics
@_exported import GUDNN
