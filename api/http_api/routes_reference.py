"""GET /v1/codes and /v1/payers: the code table and payer profiles the rules use (read scope)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.http_api.models import CodeInfo, CodeList, DailyLimitInfo, PayerInfo, PayerList
from api.http_api.openapi_docs import AUTHED, error_responses
from api.http_api.security import require
from rules.codes import code_table
from rules.payers import payer_profiles

router = APIRouter(prefix="/v1", tags=["reference"], dependencies=[Depends(require("read"))])


@router.get("/codes", response_model=CodeList, operation_id="listCodes", summary="Every code notecode can emit",
            responses=error_responses(*AUTHED))
def list_codes() -> CodeList:
    return CodeList(codes=[
        CodeInfo(code=c.code, description=c.description, timed=c.timed, family=c.family,
                 disciplines=sorted(c.disciplines), medicare_pays_separately=c.medicare_pays_separately,
                 valid_from=c.valid_from, source=c.source,
                 daily_limit=DailyLimitInfo(units=c.daily_limit.units, source=c.daily_limit.source,
                                            overflow_to=c.daily_limit.overflow_to) if c.daily_limit else None)
        for _, c in sorted(code_table().items())
    ])


@router.get("/payers", response_model=PayerList, operation_id="listPayers",
            summary="The payer profiles a Note's `payer` can name", responses=error_responses(*AUTHED))
def list_payers() -> PayerList:
    return PayerList(payers=[
        PayerInfo(name=p.name, description=p.description, unit_method=p.unit_method,
                  unit_method_source=p.unit_method_source, discipline_modifiers=p.discipline_modifiers,
                  assistant_modifiers=p.assistant_modifiers.modifiers if p.assistant_modifiers else None,
                  assistant_modifiers_from=p.assistant_modifiers.valid_from if p.assistant_modifiers else None,
                  bundled_codes=sorted(p.bundled_codes), distinct_modifier_style=p.distinct_modifier_style,
                  ncci=p.ncci, kx_threshold_years=sorted(p.kx.thresholds) if p.kx else [])
        for _, p in sorted(payer_profiles().items())
    ])
