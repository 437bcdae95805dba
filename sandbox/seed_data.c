/*
 * seed_data.c - the vocabularies behind the generated demo data. Names mix
 * Indian and international ones, a few with apostrophes and accents, so the
 * console's text handling and the server's SQL quoting both get exercised.
 */
#include "sandbox/seed_data.h"

#define COUNT(name) const size_t name##_count = sizeof name / sizeof name[0]

const struct seed_name seed_indian_first[] = {
    {"Aarav", 'M'}, {"Aditi", 'F'}, {"Amit", 'M'}, {"Ananya", 'F'}, {"Anil", 'M'},
    {"Anjali", 'F'}, {"Arjun", 'M'}, {"Ayesha", 'F'}, {"Bhavna", 'F'}, {"Deepa", 'F'},
    {"Divya", 'F'}, {"Farhan", 'M'}, {"Gaurav", 'M'}, {"Gurpreet", 'M'}, {"Harpreet", 'F'},
    {"Imran", 'M'}, {"Ishaan", 'M'}, {"Karan", 'M'}, {"Kavya", 'F'}, {"Kiran", 'F'},
    {"Lakshmi", 'F'}, {"Lavanya", 'F'}, {"Manish", 'M'}, {"Meena", 'F'}, {"Naveen", 'M'},
    {"Nikhil", 'M'}, {"Nisha", 'F'}, {"Pooja", 'F'}, {"Pranav", 'M'}, {"Priya", 'F'},
    {"Rahul", 'M'}, {"Rajesh", 'M'}, {"Ritu", 'F'}, {"Rohan", 'M'}, {"Sai", 'M'},
    {"Sanjay", 'M'}, {"Shreya", 'F'}, {"Sneha", 'F'}, {"Sunita", 'F'}, {"Suresh", 'M'},
    {"Swati", 'F'}, {"Tanvi", 'F'}, {"Varun", 'M'}, {"Venkat", 'M'}, {"Vidya", 'F'},
    {"Vikram", 'M'}, {"Yash", 'M'}, {"Zara", 'F'},
};
COUNT(seed_indian_first);

const char *const seed_indian_last[] = {
    "Agarwal", "Banerjee", "Bhat", "Bose", "Chatterjee", "Chopra", "D'Souza", "Das",
    "Desai", "Fernandes", "Ghosh", "Gill", "Gupta", "Hegde", "Iyengar", "Iyer",
    "Joshi", "Kamath", "Kapoor", "Khan", "Kulkarni", "Malhotra", "Mehta", "Menon",
    "Mukherjee", "Naidu", "Nair", "Patel", "Pillai", "Pinto", "Rao", "Reddy",
    "Sandhu", "Shah", "Sharma", "Sheikh", "Shetty", "Siddiqui", "Singh", "Verma",
};
COUNT(seed_indian_last);

const struct seed_name seed_intl_first[] = {
    {"Amara", 'F'}, {"Chiara", 'F'}, {"Chloé", 'F'}, {"Emma", 'F'}, {"Ethan", 'M'},
    {"Fatima", 'F'}, {"Hannah", 'F'}, {"Ingrid", 'F'}, {"José", 'M'}, {"Kenji", 'M'},
    {"Kwame", 'M'}, {"Liam", 'M'}, {"Luca", 'M'}, {"Lucas", 'M'}, {"Lukas", 'M'},
    {"Mateo", 'M'}, {"Mei", 'F'}, {"Mia", 'F'}, {"Noah", 'M'}, {"Olivia", 'F'},
    {"Omar", 'M'}, {"Sofia", 'F'}, {"Sophia", 'F'}, {"Søren", 'M'}, {"Wei", 'M'},
    {"Yuki", 'F'},
};
COUNT(seed_intl_first);

const char *const seed_intl_last[] = {
    "Andersen", "Bianchi", "Chen", "Cohen", "Dubois", "García", "Haddad", "Jensen",
    "Johnson", "Kim", "Kowalski", "Martin", "Mensah", "Müller", "Nguyen", "Novak",
    "O'Brien", "Okafor", "Park", "Rodríguez", "Rossi", "Santos", "Sato", "Schmidt",
    "Silva", "Smith", "Tanaka", "Wang",
};
COUNT(seed_intl_last);

const char *const seed_cities[] = {
    "Bengaluru", "Mumbai", "Delhi", "Chennai", "Hyderabad", "Pune", "Kolkata",
    "Ahmedabad", "Jaipur", "Kochi", "Lucknow", "Chandigarh", "Mysuru", "Goa",
};
COUNT(seed_cities);

const struct seed_store seed_stores[] = {
    {"store01", "Bengaluru Indiranagar", "Bengaluru"},
    {"store02", "Mumbai Bandra West", "Mumbai"},
    {"store03", "Delhi Connaught Place", "Delhi"},
    {"store04", "Chennai T. Nagar", "Chennai"},
    {"store05", "Hyderabad Banjara Hills", "Hyderabad"},
    {"store06", "Pune Koregaon Park", "Pune"},
    {"store07", "Kolkata Park Street", "Kolkata"},
    {"store08", "Online Store", "Bengaluru"},
};
COUNT(seed_stores);

const struct seed_product seed_products[] = {
    {"SKU-1001", "Cotton Kurta", 799, 2499},
    {"SKU-1002", "Denim Jeans", 1299, 3999},
    {"SKU-1003", "Silk Saree", 2999, 14999},
    {"SKU-1004", "Running Shoes", 1999, 6999},
    {"SKU-1005", "Leather Wallet", 499, 1999},
    {"SKU-1006", "Basmati Rice 5kg", 450, 899},
    {"SKU-1007", "Filter Coffee 500g", 250, 520},
    {"SKU-1008", "Masala Chai Tin", 180, 420},
    {"SKU-1009", "Wireless Earbuds", 1499, 7999},
    {"SKU-1010", "Steel Water Bottle", 299, 899},
    {"SKU-1011", "Linen Shirt", 999, 2999},
    {"SKU-1012", "Kids T-Shirt", 299, 799},
    {"SKU-1013", "Face Cream 50ml", 199, 1299},
    {"SKU-1014", "Handloom Dupatta", 599, 1899},
    {"SKU-1015", "Sports Cap", 249, 699},
    {"SKU-1016", "Backpack 25L", 899, 2999},
    {"SKU-1017", "Dark Chocolate Box", 350, 1200},
    {"SKU-1018", "Scented Candle", 299, 999},
};
COUNT(seed_products);

const struct seed_series seed_series_list[] = {
    {"WELCOME10", "Welcome 10% off", "PERC", 10, 500, 365, -1},
    {"FLAT250", "Rs 250 off on Rs 1500", "ABS", 250, 0, 180, 100000},
    {"BDAY500", "Birthday Rs 500 off", "ABS", 500, 0, 365, -1},
    {"GOLD15", "Gold members 15% off", "PERC", 15, 1000, 120, 50000},
    {"FESTIVE20", "Festive sale 20% off", "PERC", 20, 750, -30, 200000},
    {"SORRY300", "Service recovery Rs 300 off", "ABS", 300, 0, 365, -1},
    {"COFFEE1", "Free filter coffee", "ABS", 150, 0, 90, 20000},
    {"MONSOON12", "Monsoon 12% off", "PERC", 12, 400, -120, 80000},
    {"APP100", "Rs 100 off on first app order", "ABS", 100, 0, 240, -1},
    {"PLAT25", "Platinum 25% off", "PERC", 25, 2500, 200, 10000},
};
COUNT(seed_series_list);

const char *const seed_departments[] = {"LOYALTY", "BILLING", "STORE", "DIGITAL", "DELIVERY"};
COUNT(seed_departments);

/* code = status name, description = "1" when the status counts as open. */
const struct seed_pair seed_ticket_statuses[] = {
    {"Open", "1"}, {"InProgress", "1"}, {"Reopened", "1"}, {"Closed", "0"},
};
COUNT(seed_ticket_statuses);

const char *const seed_priorities[] = {"LOW", "MEDIUM", "HIGH"};
COUNT(seed_priorities);

const struct seed_pair seed_goodwill_reasons[] = {
    {"POINTS_ISSUE", "Points not credited"},
    {"BILL_ISSUE", "Bill not recorded"},
    {"SERVICE_RECOVERY", "Service recovery"},
    {"DELIVERY_DELAY", "Late delivery"},
    {"PRODUCT_QUALITY", "Product quality complaint"},
    {"BIRTHDAY", "Birthday gesture"},
};
COUNT(seed_goodwill_reasons);

const struct seed_text seed_ticket_texts[] = {
    {"Points missing", "Points for a recent bill were not credited."},
    {"Coupon not working", "The coupon was refused at the billing counter."},
    {"Wrong tier shown", "The app shows an older tier than the one on the statement."},
    {"Duplicate charge", "The card was charged twice for the same bill."},
    {"App login issue", "The OTP for the app never arrives."},
    {"Update email address", "Wants the statement sent to a new email address."},
    {"Damaged product", "The parcel arrived damaged; asks for a replacement."},
    {"Store staff feedback", "Compliments the staff at the store for quick help."},
};
COUNT(seed_ticket_texts);

const char *const seed_note_texts[] = {
    "Prefers SMS over email for offers.",
    "Called about missing points; advised to wait 48 hours for the bill to sync.",
    "Long-standing member, handle with care.",
    "Asked to be called back after 6 pm.",
    "Speaks Tamil and English.",
    "Requested a paper statement for the last quarter.",
    "Was offered a goodwill coupon for the late delivery.",
};
COUNT(seed_note_texts);

const char *const seed_sms_texts[] = {
    "You earned points on your last bill. Thank you for shopping with us!",
    "Your coupon expires in 7 days. Use it at any of our stores.",
    "Happy birthday! A special gift is waiting in your account.",
    "Your points balance has been updated.",
    "Your OTP for the loyalty app is 482913.",
};
COUNT(seed_sms_texts);

const struct seed_text seed_email_texts[] = {
    {"Your monthly statement", "Here is your points statement for the month."},
    {"Exclusive member offers", "Offers picked for you this season."},
    {"You are close to the next tier", "A few more purchases take you to the next tier."},
};
COUNT(seed_email_texts);

const char *const seed_push_texts[] = {
    "New offers near you",
    "Double points this weekend",
};
COUNT(seed_push_texts);

const char *const seed_email_domains[] = {"example.com", "example.in", "example.org", "example.net"};
COUNT(seed_email_domains);

const char *const seed_request_comments[] = {
    "Bill not synced from the store",
    "Customer complained about a late delivery",
    "Compensation for a damaged product",
    "Points missing after the app outage",
    "Goodwill for a long wait at the counter",
    "Birthday offer not received",
};
COUNT(seed_request_comments);
