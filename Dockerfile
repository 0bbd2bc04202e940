# The Tansiq web app for docker-compose: gunicorn serving webui:create_app().
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Fonts with accents and Arabic, and FriBiDi, for the PNG picture of the network map.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core libfribidi0 \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints.txt README.md ./
COPY crm crm
COPY graph graph
COPY webui webui
COPY seeds seeds
RUN pip install --no-cache-dir -c constraints.txt . \
    && useradd --system --home /app tansiq
USER tansiq
EXPOSE 5000
# Prepare the database (idempotent), then serve.
CMD ["sh", "-c", "flask --app webui graph install-schema && flask --app webui seeds load --if-missing && flask --app webui users ensure-admin && exec gunicorn --bind 0.0.0.0:5000 --workers 3 --threads 4 --access-logfile - 'webui:create_app()'"]
