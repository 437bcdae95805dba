/*
 * org.h - the one organisation and loyalty program the sandbox emulates,
 * and the fixed ids that tests and demos rely on.
 *
 * Ids follow the shapes of the reference samples: customer ids around
 * 565000000, till ids around 75000000, event log ids around 500000000.
 */
#ifndef MC_SANDBOX_ORG_H
#define MC_SANDBOX_ORG_H

#include <stdint.h>

#define SB_ORG_ID 100737
#define SB_PROGRAM_ID 1414
#define SB_PROGRAM_TITLE "Default Program"
#define SB_PROGRAM_DESCRIPTION "Membercare demo loyalty program"
#define SB_POINTS_TO_CURRENCY 1.0

/* Fixed members (see seed.c for what each one is for). */
#define SB_ID_ASHA ((int64_t)565000001)
#define SB_ID_RAVI ((int64_t)565000002)
#define SB_ID_NEHA ((int64_t)565000003)
#define SB_ID_ZOE ((int64_t)565000004)
#define SB_ID_MEERA ((int64_t)565000100)
/* Generated member k (0-based) has id SB_ID_GENERATED + k. */
#define SB_ID_GENERATED ((int64_t)565100000)

/* Tills. POS till of store k (1-based) is SB_TILL_POS + k. */
#define SB_TILL_AGENT ((int64_t)75000001)
#define SB_TILL_SUPERVISOR ((int64_t)75000002)
#define SB_TILL_VIEWER ((int64_t)75000003)
#define SB_TILL_POS ((int64_t)75000100)

/* md5("demo"), the password of every seeded till. */
#define SB_DEMO_MD5 "fe01ce2a7fbac8fafaed7c982a04e229"

#endif
