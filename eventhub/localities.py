"""Provinces and centrally-run cities since 1 July 2025 (34 units), offered as suggestions only:
older records may name provinces that have since merged, so province stays free text."""
PROVINCES = (
    "Thành phố Hà Nội", "Thành phố Huế", "Thành phố Hải Phòng", "Thành phố Đà Nẵng",
    "Thành phố Hồ Chí Minh", "Thành phố Cần Thơ",
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Điện Biên", "Đồng Nai", "Đồng Tháp",
    "Gia Lai", "Hà Tĩnh", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh",
    "Thái Nguyên", "Thanh Hóa", "Tuyên Quang", "Vĩnh Long",
)
